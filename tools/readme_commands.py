"""Print one of the README's two set-up commands, so that CI runs exactly what the README says.

python3 tools/readme_commands.py main   # install and run the main job
python3 tools/readme_commands.py test   # install the test dependencies and run all tests
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def command(which: str) -> str:
    section = README.read_text(encoding="utf-8").split("## Set up", 1)[1].split("\n## ", 1)[0]
    blocks = [b.strip() for b in re.findall(r"```sh\n(.*?)```", section, re.S)]
    return blocks[{"main": 0, "test": 1}[which]]


if __name__ == "__main__":
    print(command(sys.argv[1]))
