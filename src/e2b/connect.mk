# src/e2b/connect.mk: Connect RPC codec and envd client (see the envd client owner)
