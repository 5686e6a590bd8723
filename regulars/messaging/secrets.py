from regulars.core.secrets import SecretError, decrypt, encrypt, hint  # noqa: F401  (moved to core)
