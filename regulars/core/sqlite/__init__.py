"""SQLite backend with a write lock shared by every process: see base.py."""
