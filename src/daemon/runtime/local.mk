# src/daemon/runtime: sandbox runtime (namespaces, rootfs, cgroups, init)
