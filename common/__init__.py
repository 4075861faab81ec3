"""Plain helpers below every app: no models, no imports from the project."""
