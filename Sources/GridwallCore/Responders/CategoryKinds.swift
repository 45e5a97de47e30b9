// Which kinds of responder an event's category calls for: the answer to a new event lists the
// nearest available responders of those kinds. The categories here are also the ones the live
// service takes; a district with other categories gives its own table in the configuration.

/// The responder kinds each event category needs.
public struct CategoryKinds: Sendable, Hashable {
    public var kinds: [String: [String]]

    public init(_ kinds: [String: [String]]) { self.kinds = kinds }

    /// The known categories, sorted.
    public var categories: [String] { kinds.keys.sorted() }

    /// The kinds `category` calls for; an unknown category is an error naming the known ones.
    public func kinds(for category: String, at place: @autoclosure () -> String) throws -> [String] {
        guard let k = kinds[category] else {
            throw GridwallError(.invalidInput, "unknown category \"\(category)\"; known categories: \(categories.joined(separator: ", "))", at: place())
        }
        return k
    }

    /// The 25 categories of the sample district (geodata/categories.csv) and who answers them.
    public static let sample = CategoryKinds([
        "fire_hazard": ["fire", "grid_worker"], "smoke_alarm": ["fire"], "elevator_fault": ["fire", "grid_worker"],
        "fire_hydrant": ["fire"], "illegal_parking": ["enforcement", "police"], "street_vending": ["enforcement"],
        "garbage_overflow": ["grid_worker"], "garbage_sorting": ["grid_worker", "volunteer"], "noise": ["police", "grid_worker"],
        "road_damage": ["grid_worker"], "street_light": ["grid_worker"], "manhole_cover": ["grid_worker", "police"],
        "waterlogging": ["fire", "grid_worker"], "river_pollution": ["enforcement", "grid_worker"],
        "illegal_construction": ["enforcement"], "group_rental": ["police", "grid_worker"], "market_supervision": ["enforcement"],
        "food_safety": ["enforcement"], "financial_risk": ["police"], "public_health": ["medical", "grid_worker"],
        "shared_bikes": ["enforcement", "volunteer"], "dog_leash": ["volunteer", "police"], "green_space": ["grid_worker"],
        "dispute": ["police", "volunteer"], "safety_inspection": ["grid_worker", "enforcement"],
    ])
}
