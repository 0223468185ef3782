"""Pure helpers every app may use. This package has no models and imports no app."""
