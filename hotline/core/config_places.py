"""The gazetteer (地名库, config/places.yaml): roads, compounds, villages, landmarks and areas, each filed
under the street office / township (or district / county) that handles it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

PLACE_KINDS = ("road", "compound", "village", "landmark", "area")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlaceEntry(_Strict):
    name: str = Field(min_length=2, max_length=60)
    kind: str = Field(pattern=r"^(road|compound|village|landmark|area)$")
    department: str = Field(min_length=1, max_length=32)
    aliases: list[str] = []
    ambiguous: bool = False


class PlacesFile(_Strict):
    places: list[PlaceEntry] = []


def places_problems(places: PlacesFile, departments: set[str], where: str) -> list[str]:
    """Entries filed under a department the tree does not know, and one name filed twice under one department."""
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for i, entry in enumerate(places.places):
        if entry.department not in departments:
            problems.append(f"{where}: places[{i}].department: no department with code '{entry.department}'")
        if (entry.name, entry.department) in seen:
            problems.append(f"{where}: places[{i}]: '{entry.name}' is filed twice under {entry.department}")
        seen.add((entry.name, entry.department))
    return problems
