"""The app's pages, one module per resource (movements, models, contests) and the
downloads and import (io); urls.py maps each to its address."""
