"""HTTP: the pages and the JSON API, what their handlers share, and how errors are answered."""
