// Benchmarks live here so they can be run with `swift run -c release modelint-bench ...`.
if CommandLine.arguments.dropFirst().first == "simulate" { SimulateBenchmark.main(Array(CommandLine.arguments.dropFirst(2))) }
print("usage: modelint-bench <parse|simulate> ...")
