"""Regulars: turn an online store's one-time buyers into regulars."""
