// The 25 event categories of the sample (after the "sensitive matters" the districts track),
// with where and when each tends to happen. Documented in geodata/README.md.

enum Place: String { case residential, road, commercial, village, water, anywhere }

struct EventCategory {
    let id: String
    let name: String
    let weight: Double          // share of all events (relative)
    let place: Place
    /// Relative frequency by hour of day 0...23 (local time, UTC+8).
    let hours: [Double]
    let weekendFactor: Double   // Saturday and Sunday relative to weekdays
    let trend: Double           // relative growth from the first to the last day
    let sources: [(String, Double)]
}

private let office: [Double] = [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 9, 11, 13, 13, 12, 10, 7, 5, 4, 3, 2, 1]
private let evening: [Double] = [4, 2, 1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 8, 8, 9, 11, 15, 18, 18, 16, 12, 9, 6]
private let night: [Double] = [10, 8, 6, 4, 2, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 5, 7, 9, 12, 14, 14, 12]
private let commute: [Double] = [1, 1, 1, 1, 1, 3, 8, 15, 14, 9, 7, 7, 8, 7, 7, 8, 10, 14, 13, 8, 5, 3, 2, 1]
private let flat: [Double] = Array(repeating: 1, count: 24)
private let daytime: [Double] = [1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 10, 9, 10, 10, 10, 9, 8, 6, 4, 3, 2, 1, 1]

private let worker = ("grid_worker", 1.0), hotline = ("hotline_12345", 1.0), camera = ("camera_ai", 1.0)
private let iot = ("iot_sensor", 1.0), drone = ("drone", 1.0), app = ("resident_app", 1.0)

let eventCategories: [EventCategory] = [
    .init(id: "fire_hazard", name: "Fire hazard", weight: 5, place: .residential, hours: daytime, weekendFactor: 1, trend: 0.1, sources: [worker, ("iot_sensor", 2), hotline]),
    .init(id: "smoke_alarm", name: "Smoke detector alarm", weight: 3, place: .residential, hours: night, weekendFactor: 1.1, trend: 0, sources: [("iot_sensor", 5)]),
    .init(id: "elevator_fault", name: "Elevator fault", weight: 4, place: .residential, hours: commute, weekendFactor: 0.8, trend: 0.05, sources: [("iot_sensor", 4), hotline]),
    .init(id: "fire_hydrant", name: "Fire hydrant pressure loss", weight: 1.5, place: .road, hours: flat, weekendFactor: 1, trend: 0, sources: [("iot_sensor", 5)]),
    .init(id: "illegal_parking", name: "Illegal parking", weight: 12, place: .road, hours: commute, weekendFactor: 1.3, trend: 0.15, sources: [("camera_ai", 3), worker, app]),
    .init(id: "street_vending", name: "Unlicensed street vending", weight: 9, place: .road, hours: evening, weekendFactor: 1.6, trend: 0.2, sources: [("camera_ai", 2), worker]),
    .init(id: "garbage_overflow", name: "Garbage overflow", weight: 10, place: .residential, hours: daytime, weekendFactor: 1.4, trend: 0, sources: [worker, ("camera_ai", 2), app]),
    .init(id: "garbage_sorting", name: "Garbage sorting violation", weight: 5, place: .residential, hours: evening, weekendFactor: 1.2, trend: -0.1, sources: [("grid_worker", 2), camera]),
    .init(id: "noise", name: "Noise complaint", weight: 7, place: .residential, hours: night, weekendFactor: 1.5, trend: 0, sources: [("hotline_12345", 3), app]),
    .init(id: "road_damage", name: "Road surface damage", weight: 4, place: .road, hours: daytime, weekendFactor: 0.7, trend: 0, sources: [worker, drone, hotline]),
    .init(id: "street_light", name: "Street light out", weight: 3, place: .road, hours: night, weekendFactor: 1, trend: 0, sources: [worker, hotline]),
    .init(id: "manhole_cover", name: "Missing or broken manhole cover", weight: 1.5, place: .road, hours: daytime, weekendFactor: 1, trend: 0, sources: [worker, ("iot_sensor", 2)]),
    .init(id: "waterlogging", name: "Waterlogging", weight: 2, place: .water, hours: flat, weekendFactor: 1, trend: -0.3, sources: [("iot_sensor", 2), drone, worker]),
    .init(id: "river_pollution", name: "River pollution", weight: 1.5, place: .water, hours: daytime, weekendFactor: 1, trend: 0, sources: [drone, worker, camera]),
    .init(id: "illegal_construction", name: "Illegal construction", weight: 3, place: .village, hours: daytime, weekendFactor: 1.2, trend: 0.05, sources: [drone, ("grid_worker", 2)]),
    .init(id: "group_rental", name: "Illegal group rental", weight: 2, place: .village, hours: evening, weekendFactor: 1, trend: 0.1, sources: [worker, hotline]),
    .init(id: "market_supervision", name: "Market supervision", weight: 4, place: .commercial, hours: office, weekendFactor: 0.6, trend: 0, sources: [worker, hotline]),
    .init(id: "food_safety", name: "Food safety", weight: 3, place: .commercial, hours: evening, weekendFactor: 1.3, trend: 0, sources: [hotline, app]),
    .init(id: "financial_risk", name: "Financial risk", weight: 1.5, place: .commercial, hours: office, weekendFactor: 0.4, trend: 0.25, sources: [hotline, worker]),
    .init(id: "public_health", name: "Public health", weight: 2.5, place: .residential, hours: daytime, weekendFactor: 1, trend: 0, sources: [worker, hotline]),
    .init(id: "shared_bikes", name: "Shared bikes blocking way", weight: 5, place: .road, hours: commute, weekendFactor: 0.9, trend: 0.1, sources: [("camera_ai", 3), worker]),
    .init(id: "dog_leash", name: "Unleashed dog", weight: 2, place: .residential, hours: evening, weekendFactor: 1.4, trend: 0, sources: [app, camera]),
    .init(id: "green_space", name: "Damaged green space", weight: 2, place: .anywhere, hours: daytime, weekendFactor: 1.2, trend: 0, sources: [worker, drone]),
    .init(id: "dispute", name: "Neighbourhood dispute", weight: 3, place: .residential, hours: evening, weekendFactor: 1.3, trend: 0, sources: [("hotline_12345", 2), worker]),
    .init(id: "safety_inspection", name: "Safety inspection finding", weight: 3.5, place: .commercial, hours: office, weekendFactor: 0.3, trend: 0, sources: [("grid_worker", 3)]),
]
