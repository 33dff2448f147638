import ClinterviewCore

/// Every interview in `Interviews/`, loaded once, by id.
public enum BundledInterviews {
    public static let byID: [String: Interview] = {
        var byID: [String: Interview] = [:]
        for name in Repository.files(in: "Interviews", ending: ".json") {
            if let interview = InterviewLoader.load(path: Repository.path("Interviews/\(name)")).interview {
                byID[interview.id] = interview
            }
        }
        return byID
    }()
}
