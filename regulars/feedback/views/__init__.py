"""Customer-facing feedback pages, one module per area: surveys.py, reviews.py, public.py."""
