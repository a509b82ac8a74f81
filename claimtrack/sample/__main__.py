import sys

from claimtrack.sample import main

sys.exit(main())
