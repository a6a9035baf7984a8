/// Summaries of a descriptor's values over a segment's frames ("functionals", as openSMILE and
/// eGeMAPS call them). Each is 0 for no values, so a silent or unvoiced segment still gives a
/// finite vector.
enum Functionals {
    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    /// The population standard deviation.
    static func standardDeviation(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let mean = mean(values)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
    }

    /// The `fraction` quantile of ascending `sorted` values, interpolated linearly between the
    /// nearest two as NumPy's `percentile` does by default.
    static func percentile(_ fraction: Double, ofSorted sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let position = fraction * Double(sorted.count - 1)
        let lower = Int(position), upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    /// The slope of the least-squares line through (`times`, `values`): change per unit of time.
    /// 0 for fewer than two distinct times.
    static func slope(_ values: [Double], times: [Double]) -> Double {
        precondition(values.count == times.count, "one time per value")
        let meanTime = mean(times), meanValue = mean(values)
        var covariance = 0.0, variance = 0.0
        for (time, value) in zip(times, values) {
            covariance += (time - meanTime) * (value - meanValue)
            variance += (time - meanTime) * (time - meanTime)
        }
        return variance > 0 ? covariance / variance : 0
    }
}
