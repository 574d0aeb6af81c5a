"""The book: every order of a marketplace at once."""
