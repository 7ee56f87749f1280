import sys

from experiments.validation.cli import main

sys.exit(main())
