"""Answers are written in Markdown and shown in the consoles as HTML: the adapter over markdown-it-py,
the only module that imports it. Raw HTML in the source is shown as text, never passed through, and a
link may only lead to http(s), mailto or tel, so an article cannot carry a script into an operator's screen."""

from __future__ import annotations

import re
from functools import cache
from typing import cast

SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")
_LINK = re.compile(r"\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))+)")


@cache
def _renderer():
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    # markdown-it-py's documented way to choose which links render is to replace this method on the instance.
    md.validateLink = lambda url: url.strip().lower().startswith(SAFE_SCHEMES)  # type: ignore[method-assign]
    renderer = cast(RendererHTML, md.renderer)
    default_link = renderer.rules.get("link_open")

    def link_open(tokens, idx, options, env):
        # Links open beside the console, and the page they lead to learns nothing of it.
        tokens[idx].attrSet("target", "_blank")
        tokens[idx].attrSet("rel", "noopener noreferrer")
        if default_link is not None:
            return default_link(tokens, idx, options, env)
        return renderer.renderToken(tokens, idx, options, env)

    renderer.rules["link_open"] = link_open  # type: ignore[assignment]  # the rule table's documented use
    return md


def render(markdown: str) -> str:
    """Markdown → HTML safe to insert into a console page."""
    return _renderer().render(markdown)


def unsafe_links(markdown: str) -> list[str]:
    """Link targets the renderer will refuse (javascript:, data:, relative paths): the importer reports them."""
    return [target for target in _LINK.findall(markdown) if not target.strip().lower().startswith(SAFE_SCHEMES)]
