"""Open Badges 3.0 credentials for certificates: signed, revocable, verifiable by anyone offline."""
