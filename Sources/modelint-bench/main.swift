// Benchmarks live here so they can be run with `swift run -c release modelint-bench ...`.
print("usage: modelint-bench <parse|simulate> ...")
