// Five-class colouring: Jenks natural breaks equal PySAL mapclassify's FisherJenks on the
// sample district and two real datasets; quantile and fixed classes by hand.
import Foundation
import Testing
import GridwallCore
import GridwallTestSupport

@Suite struct ClassificationTests {
    @Test func jenksEqualsMapclassify() throws {
        let rows = try TestData.csv(TestData.url("Tests/Fixtures/classification/jenks.csv"))
        #expect(rows.count == 3)
        for row in rows {
            let values = row["values"]!.split(separator: " ").map { Double($0)! }
            let expected = ["b1", "b2", "b3", "b4"].map { Double(row[$0]!)! }
            let ours = Classification.breaks(values, method: .jenks)
            #expect(ours.count == 4, "\(row["name"]!): \(ours.count) breaks")
            #expect(zip(ours, expected).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) }, "\(row["name"]!): \(ours) vs \(expected)")
        }
    }

    @Test func quantileAndFixedClasses() {
        let values = (1...10).map(Double.init)
        // Two values per class, lowest green, highest red.
        #expect(Classification.classify(values, method: .quantile) == [.green, .green, .blue, .blue, .yellow, .yellow, .orange, .orange, .red, .red])
        // Fixed: a value equal to a threshold belongs to the lower class.
        #expect(Classification.classify([0, 5, 5.5, 10, 20, 40, 41], method: .fixed([5, 10, 20, 40]))
                == [.green, .green, .blue, .blue, .yellow, .orange, .red])
        #expect(RiskClass.red.colour == "#d7191c" && RiskClass.green.name == "green")
    }
}
