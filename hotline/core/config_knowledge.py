"""The knowledge base's policy (config/knowledge.yaml): when articles go back to their owners for review,
how search weighs what it finds, and the words it folds together."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReviewPolicy(_Strict):
    after_days: int = Field(default=365, ge=30, le=3650)  # a published version older than this is reviewed
    warn_days: int = Field(default=30, ge=1, le=365)  # valid_until this close sends it back to its owner


class FieldWeights(_Strict):
    title: float = Field(default=3.0, ge=0)
    questions: float = Field(default=3.0, ge=0)
    tags: float = Field(default=2.0, ge=0)
    category: float = Field(default=1.0, ge=0)
    body: float = Field(default=0.3, ge=0)
    pinyin: float = Field(default=0.5, ge=0)


class Feedback(_Strict):
    weight: float = Field(default=0.15, ge=0, le=0.5)  # the most feedback can move a score, as a fraction
    prior: int = Field(default=5, ge=1, le=1000)  # votes an article needs before feedback counts in full


class SearchPolicy(_Strict):
    limit: int = Field(default=5, ge=1, le=50)
    candidates: int = Field(default=100, ge=10, le=1000)  # rows the database hands to the ranking
    max_terms: int = Field(default=8, ge=1, le=64)  # most informative query terms sent to the database
    max_postings: int = Field(default=30_000, ge=100)  # and no more articles than these terms hold between them
    common_fraction: float = Field(default=0.2, gt=0, le=1)  # a term in more documents than this is not sent
    min_confidence: float = Field(default=0.2, ge=0, le=1)  # below this nothing is suggested
    k1: float = Field(default=1.2, gt=0, le=3)
    b: float = Field(default=0.75, ge=0, le=1)
    fields: FieldWeights = FieldWeights()
    synonym_weight: float = Field(default=0.8, ge=0, le=1)
    category_boost: float = Field(default=0.3, ge=0, le=2)  # the draft's own leaf
    group_boost: float = Field(default=0.1, ge=0, le=2)  # a leaf of the same 中类
    feedback: Feedback = Feedback()
    dictionary_refresh_seconds: int = Field(default=300, ge=1, le=86400)


class KnowledgeFile(_Strict):
    review: ReviewPolicy = ReviewPolicy()
    search: SearchPolicy = SearchPolicy()
    fuzzy_pinyin: list[tuple[str, str]] = []
    fillers: list[str] = []
    stopwords: list[str] = []
    terms: list[str] = []  # words the segmenter must keep whole (added to its user dictionary)
    synonyms: list[list[str]] = []

    @model_validator(mode="after")
    def _groups(self) -> KnowledgeFile:
        for i, group in enumerate(self.synonyms):
            if len(group) < 2:
                raise ValueError(f"synonyms[{i}]: a group needs at least two words")
            if any(not word.strip() or " " in word for word in group):
                raise ValueError(f"synonyms[{i}]: words are single tokens without spaces")
        return self
