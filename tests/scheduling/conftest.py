"""Make ``scheduling_strategies`` (hypothesis strategies of this folder) importable.

pytest's default ``prepend`` import mode already puts this folder on ``sys.path`` for
test modules without ``__init__.py``; adding it here keeps that true under other modes.
"""

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
