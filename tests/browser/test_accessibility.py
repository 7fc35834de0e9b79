"""axe-core on every page type, in the light and the dark palette: no serious or critical violations."""

from __future__ import annotations

import pytest

from .conftest import PAGE_TYPES, goto

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="needs axe-playwright-python").Axe

pytestmark = pytest.mark.browser

AXE = Axe()
SCHEMES = {"light": "default", "dark": "slate"}


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s)")
        for node in v["nodes"][:3]:
            lines.append(f"    {node['target']}  {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("path", list(PAGE_TYPES.values()), ids=list(PAGE_TYPES))
def test_no_serious_axe_violations(page_factory, base_url, path, scheme):
    page = page_factory(color_scheme=scheme, reduced_motion="reduce")
    goto(page, base_url, path)
    # No stored choice: Material follows the system preference (palette `media`).
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
    results = AXE.run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    if bad:
        print(describe(bad))
    assert not bad, f"{path or 'home'} ({scheme}):\n" + describe(bad)
