"""The stylesheet is one file several features append to: a block left open would make
every later rule apply only inside it (it happened once, after a merge)."""

from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[2] / "crm" / "static" / "crm" / "app.css"


def test_every_block_of_the_stylesheet_is_closed():
    open_blocks = []
    for number, line in enumerate(STYLESHEET.read_text().splitlines(), start=1):
        for char in line:
            if char == "{":
                open_blocks.append(number)
            elif char == "}":
                assert open_blocks, f"app.css line {number}: '}}' closes nothing"
                open_blocks.pop()
    assert not open_blocks, f"app.css: blocks opened on lines {open_blocks} are never closed"
