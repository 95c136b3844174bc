/// The mini executor: dense float32 tensors and PyTorch-exact kernels. See docs/architecture.md.
public enum Executor {}
