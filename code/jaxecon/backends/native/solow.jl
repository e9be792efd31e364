# The Solow law of motion k' = a s k^α + (1 - δ) k, iterated n times, timed in-process.
# Usage: julia solow.jl k0 s alpha delta a n repeats
# Prints one line: result compile_seconds seconds_min seconds_median
function solow(k0, s, α, δ, a, n)
    k = k0
    for _ in 1:n
        k = a * s * k^α + (1 - δ) * k
    end
    return k
end

k0, s, α, δ, a = (parse(Float64, x) for x in ARGS[1:5])
n, repeats = parse(Int, ARGS[6]), parse(Int, ARGS[7])
first = @elapsed solow(k0, s, α, δ, a, n)
times = [@elapsed solow(k0, s, α, δ, a, n) for _ in 1:repeats]
sorted = sort(times)
median = isodd(repeats) ? sorted[(repeats + 1) ÷ 2] : (sorted[repeats ÷ 2] + sorted[repeats ÷ 2 + 1]) / 2
println(solow(k0, s, α, δ, a, n), " ", max(first - median, 0.0), " ", sorted[1], " ", median)
