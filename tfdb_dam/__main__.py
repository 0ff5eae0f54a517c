"""`python -m tfdb_dam` is the `tfdb` command."""

import sys

from tfdb_dam.cli import main

sys.exit(main())
