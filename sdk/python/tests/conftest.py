import os
import sys
from pathlib import Path

# Tests run against the source tree whether or not the package is installed.
SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))
os.environ.setdefault("PYTHONPATH", str(SRC))
