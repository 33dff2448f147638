import Foundation

#if canImport(Glibc)
    import Glibc
#endif

enum Measure {
    /// Wall-clock seconds of `body`, best of `repetitions` runs, with its last result.
    static func time<T>(_ repetitions: Int = 1, _ body: () -> T) -> (seconds: Double, result: T) {
        var best = Double.infinity
        var result: T?
        for _ in 0..<max(1, repetitions) {
            let start = DispatchTime.now().uptimeNanoseconds
            let value = body()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if elapsed < best { best = elapsed }
            result = value
        }
        return (best, result!)
    }

    /// Peak resident memory of this process so far, in MB.
    static var peakMB: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }
}
