// gzip members our encoder writes are read back by the gzip tool (an independent inflater).
import Foundation
import Testing
import GridwallAnalysis
import GridwallCore
import GridwallTestSupport

@Suite struct GzipTests {
    @Test(.enabled(if: TestData.tool("gzip") != nil, "needs gzip"), arguments: [0, 1, 4096, 300_000])
    func gzipToolReadsWhatWeWrite(_ size: Int) throws {
        var rng = SeededRandom(seed: UInt64(size))
        // Half repetitive, half random: both kinds of input a tile holds.
        let bytes = (0..<size).map { i in i % 2 == 0 ? UInt8(i % 7) : UInt8(truncatingIfNeeded: rng.next()) }
        let compressed = try Gzip.compress(bytes)
        #expect(Array(compressed.prefix(2)) == [0x1f, 0x8b])
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(TestData.tool("gzip")))
        p.arguments = ["-dc"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input; p.standardOutput = output
        try p.run()
        // Write on another thread: a large member could fill the pipe while we wait to read.
        let writer = Thread { input.fileHandleForWriting.write(Data(compressed)); try? input.fileHandleForWriting.close() }
        writer.start()
        let inflated = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(Array(inflated) == bytes)
    }
}
