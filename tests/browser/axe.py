"""Run axe-core (vendored under static/vendor/, see its README) on the page under test."""

from __future__ import annotations

# What counts as a failure: the bar is "no serious or critical violations".
FAILING = {"serious", "critical"}


def audit(page, base_url: str) -> list[str]:
    """The page's serious and critical axe violations, one readable line each. The script
    is loaded from our own static files (a script tag under the page's own CSP)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=f"{base_url}/static/vendor/axe.min.js")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " — " + n.failureSummary),
            }));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {' | '.join(v['nodes'])}"
        for v in result
        if v["impact"] in FAILING
    ]
