"""The body's parts as pure, batched kernels (leading axis = subject)."""
