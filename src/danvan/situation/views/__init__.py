"""The situation app's pages: the matrix, signals, reports and missing reports (situation), campaigns and projects (welfare)."""
