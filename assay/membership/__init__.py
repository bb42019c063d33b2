"""ICS membership grade and progression advice from what a person has achieved."""
