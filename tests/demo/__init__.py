"""Demo activity for local use: students, attempts and answers with realistic patterns."""
