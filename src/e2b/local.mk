# src/e2b
