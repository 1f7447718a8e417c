"""``python -m ci_agent`` is the same as ``praxi-ci-agent``."""

import sys

from ci_agent.cli import main

sys.exit(main())
