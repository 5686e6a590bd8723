"""The only code of feedback that writes: surveys.py (sends, answers, follow-ups), reviews.py
(submission, moderation, replies, aggregates), imports.py (reviews from CSV)."""
