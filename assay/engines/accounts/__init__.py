"""Account rules (pure Python): who may invite whom, when an invitation lapses, and whose
account or role may be taken away."""
