# src/daemon/envd: envd served by boxtopd for every sandbox
