"""Each deliberate difference a provider fixture allows names a numbered row of
docs/differences.md about that provider, and each row about a provider with a fixture is
named by that fixture: the list users read and the list the differential test skips stay
one list."""

from __future__ import annotations

import re
from pathlib import Path

from tests.providers.catalog.catalog_fixtures import ProviderFixture, load_fixtures

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = load_fixtures()
CITATION = re.compile(r"^docs/differences\.md row (\d+): \S")
# what a fixture's `differences` may name: a compared field, `user.<key>`,
# `authorization.<param>`, or a step the comparison cannot see
KEYS = re.compile(
    r"^(?:id|name|type|issuer|authorization|token|userinfo|checks|"
    r"token_endpoint_auth_method|id_token|signin|callback|profile|user\.\w+|authorization\.\w+)$"
)


def _catalog_rows() -> dict[int, str]:
    """Row number -> Provider cell of the catalog table."""
    text = (ROOT / "docs" / "differences.md").read_text(encoding="utf-8")
    section = text.split("## Catalog providers that differ", 1)[1].split("\n## ", 1)[0]
    return {
        int(m.group(1)): m.group(2).strip()
        for m in re.finditer(r"^\| (\d+) \|([^|]+)\|", section, flags=re.M)
    }


def _names(cell: str, fixture: ProviderFixture) -> bool:
    """Whether a Provider cell is about this fixture's provider: its id in backticks, or
    the cell starting with its display name."""
    name = fixture.provider().name
    return f"`{fixture.id}`" in cell or re.split(r" \(", cell, maxsplit=1)[0] == name


def test_catalog_rows_are_numbered_from_101_without_gaps() -> None:
    rows = sorted(_catalog_rows())
    assert rows == list(range(101, 101 + len(rows)))


def test_every_fixture_difference_cites_a_row_about_its_provider() -> None:
    rows = _catalog_rows()
    bad = []
    for fixture in FIXTURES:
        for key, reason in fixture.differences.items():
            m = CITATION.match(reason)
            if not KEYS.match(key):
                bad.append(f"{fixture.id}: unknown difference key {key!r}")
            elif m is None:
                bad.append(f"{fixture.id}: {key!r} cites no 'docs/differences.md row N: why'")
            elif int(m.group(1)) not in rows:
                bad.append(f"{fixture.id}: {key!r} cites row {m.group(1)}, not a catalog row")
            elif not _names(rows[int(m.group(1))], fixture):
                bad.append(f"{fixture.id}: row {m.group(1)} is about {rows[int(m.group(1))]!r}")
    assert bad == []


def test_every_row_about_a_fixture_provider_is_cited_by_it() -> None:
    uncited = []
    for number, cell in _catalog_rows().items():
        for fixture in FIXTURES:
            if not _names(cell, fixture):
                continue
            cited = {
                int(m.group(1))
                for reason in fixture.differences.values()
                if (m := CITATION.match(reason))
            }
            if number not in cited:
                uncited.append(f"row {number} ({cell}) is not in {fixture.id}.json")
    assert uncited == []
