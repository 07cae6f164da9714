"""Lets the tests here import ``factories`` without making tests a package."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
