// The edge classifier on shapes small enough to reason about by hand (planar metres).
import Testing
import GridwallCore

@Suite struct CoverageEdgesTests {
    static func box(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Polygon {
        Polygon(exterior: [.init(x0, y0), .init(x1, y0), .init(x1, y1), .init(x0, y1), .init(x0, y0)])
    }
    static let parent = box(0, 0, 200, 100)

    @Test func twoHalvesTileTheirParent() {
        let e = CoverageEdges(pieces: [[Self.box(0, 0, 100, 100)], [Self.box(100, 0, 200, 100)]], parentOf: [0, 0],
                              parents: [[Self.parent]], tolerance: 0.5)
        // The parent has no vertex at (100, 0) or (100, 100): the halves lie on its outline all the same.
        #expect(e.unmatched.isEmpty && e.overlappingPairs.isEmpty && e.outsideParent.isEmpty)
    }

    @Test func aClockwiseRingIsMatchedAllTheSame() {
        var right = Self.box(100, 0, 200, 100)
        right.rings[0].reverse()
        let e = CoverageEdges(pieces: [[Self.box(0, 0, 100, 100)], [right]], parentOf: [0, 0], parents: [[Self.parent]], tolerance: 0.5)
        #expect(e.unmatched.isEmpty)
    }

    @Test func anExtraVertexOnOneSideIsMisalignment() {
        // The right half has a vertex at (100, 50) its neighbour lacks: the same line, not the same edges.
        let right = Polygon(exterior: [.init(100, 0), .init(200, 0), .init(200, 100), .init(100, 100), .init(100, 50), .init(100, 0)])
        let e = CoverageEdges(pieces: [[Self.box(0, 0, 100, 100)], [right]], parentOf: [0, 0], parents: [[Self.parent]], tolerance: 0.5)
        #expect(!e.unmatched.isEmpty && e.unmatched.allSatisfy { if case .misaligned = $0.kind { true } else { false } })
        #expect(e.overlappingPairs.isEmpty)
    }

    @Test func aPieceInsideAnotherOverlapsIt() {
        let e = CoverageEdges(pieces: [[Self.box(0, 0, 100, 100)], [Self.box(100, 0, 200, 100)], [Self.box(20, 20, 40, 40)]],
                              parentOf: [0, 0, 0], parents: [[Self.parent]], tolerance: 0.5)
        #expect(e.overlappingPairs == [CoverageEdges.Pair(0, 2)])
    }

    @Test func aNeighbourOnTheSameSideOfANearEdgeOverlaps() {
        // Piece 1 lies over piece 0's right part, its left edge 0.2 m from nothing piece 0 runs.
        let e = CoverageEdges(pieces: [[Self.box(0, 0, 100, 100)], [Self.box(60.2, 0, 200, 100)]], parentOf: [0, 0],
                              parents: [[Self.parent]], tolerance: 0.5)
        #expect(e.overlappingPairs == [CoverageEdges.Pair(0, 1)])
    }

    @Test func aShortfallIsAGapAndAnExcessIsOutside() {
        let short = CoverageEdges(pieces: [[Self.box(0, 0, 100, 100)], [Self.box(100, 0, 190, 100)]], parentOf: [0, 0],
                                  parents: [[Self.parent]], tolerance: 0.5)
        #expect(short.parentsWithGaps == [0] && short.outsideParent.isEmpty)
        #expect(short.unmatched.contains { $0.kind == .gap && $0.piece == 1 })
        let long = CoverageEdges(pieces: [[Self.box(0, 0, 100, 100)], [Self.box(100, 0, 210, 100)]], parentOf: [0, 0],
                                 parents: [[Self.parent]], tolerance: 0.5)
        #expect(long.outsideParent == [1])
    }
}
