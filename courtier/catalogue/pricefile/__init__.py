"""Supplier price files (issue 3 §4; docs/fichier-de-prix.md): their layout (layout.py), reading
(reader.py) and checking (checker.py), all pure; the import into a proposal (uploads.py keeps
the file and queues the task of tasks.py, which runs importing.py), and its pages (views.py,
urls.py)."""
