"""Figure fences found in page Markdown."""

from __future__ import annotations

from mkdocs_mechanisms import pages


def test_unclosed_figure_fence_is_found_with_its_line() -> None:
    assert pages.unclosed_fence("# T\n\n```pathway\na\n") == ("pathway", 3)
    assert pages.unclosed_fence("# T\n\n```pathway\na\n```\n") is None
    assert pages.unclosed_fence("```python\nx\n") is None
