"""``python -m crmlab report ...`` is the same as the ``crmlab`` command."""
from .report.cli import main

raise SystemExit(main())
