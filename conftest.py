import os

os.environ.setdefault("TRAPPEN_ENV", "test")
