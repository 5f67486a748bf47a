#include "cli/common.hpp"

#include "cli/commands.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "daemon/input/inputs.hpp"
#include "daemon/schools/registry.hpp"
#include "daemon/store/store.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/planner.hpp"

namespace jk::cli {

std::optional<daemon::DaemonConfig> config_from(const std::vector<std::string>& args,
                                                std::vector<std::string>& rest,
                                                const std::string& help_text, int& exit) {
    std::optional<std::string> file;
    bool help = false;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--config" && i + 1 < args.size())
            file = args[++i];
        else if (args[i] == "--help" || args[i] == "-h")
            help = true;
        else
            rest.push_back(args[i]);
    }
    if (help) {
        std::cout << help_text;
        exit = kExitOk;
        return std::nullopt;
    }
    exit = kExitInvalid;
    if (!file) {
        std::cerr << "jaarkalender: geef --config BESTAND (zie deploy/jaarkalender.example.toml)\n";
        return std::nullopt;
    }
    auto c = daemon::load_config(*file);
    if (!c) {
        for (const auto& d : c.error().items()) std::cerr << to_string(d) << "\n";
        return std::nullopt;
    }
    return std::move(c).value();
}

std::unique_ptr<daemon::Store> open_store(const daemon::DaemonConfig& config, bool create) {
    if (config.store.postgresql.empty()) {
        if (!create && !std::filesystem::exists(config.sqlite)) return nullptr;
        std::filesystem::create_directories(config.sqlite.parent_path());
    }
    return daemon::open_store(config.store);
}

Result<SchoolSources> current_input(const daemon::DaemonConfig& config, const std::string& school) {
    if (auto store = open_store(config, false)) {
        if (auto v = store->latest_input(school))
            if (auto s =
                    daemon::sources_from_json(v->sources, (config.calendars / school).string()))
                return *s;
    }
    return read_school_sources(config.calendars / school);
}

Result<SchoolSources> input_of_year(const daemon::DaemonConfig& config, const std::string& school,
                                    const std::string& school_year) {
    Diagnostics d;
    auto store = open_store(config, false);
    if (!store) {
        d.error(config.sqlite.string(), 1, 1,
                "er is nog geen opslag; een schooljaar naast het huidige staat alleen daarin");
        return d;
    }
    if (auto v = store->latest_input_of(school, school_year))
        if (auto s = daemon::sources_from_json(v->sources, (config.calendars / school).string()))
            return *s;
    std::string known;
    for (const auto& y : store->school_years(school))
        known += (known.empty() ? "" : ", ") + y.school_year;
    if (auto v = store->latest_input(school))
        known = v->school_year + (known.empty() ? "" : ", " + known);
    d.error(school, 1, 1,
            "het schooljaar " + school_year + " van " + school + " is er niet" +
                (known.empty() ? std::string() : "; er zijn: " + known));
    return d;
}

Result<LoadedSchool> current_school(const daemon::DaemonConfig& config, const std::string& school) {
    auto sources = current_input(config, school);
    if (!sources) return sources.error();
    auto official = official_holidays_in(config.calendars);
    if (!official) return official.error();
    return load_school(*sources, *official);
}

bool write_file(const std::filesystem::path& path, const std::string& text,
                const std::string& command) {
    const auto tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) {
            std::cerr << "jaarkalender " << command << ": kan " << tmp << " niet schrijven\n";
            return false;
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::cerr << "jaarkalender " << command << ": kan " << path.string()
                  << " niet schrijven: " << ec.message() << "\n";
        return false;
    }
    return true;
}

Plan current_plan(const daemon::DaemonConfig& config, const LoadedSchool& school,
                  const std::string& stamp) {
    if (auto store = open_store(config, false)) {
        if (auto stored = store->latest_plan(school.school.id))
            if (auto plan = plan_from_json(stored->plan_json, "opgeslagen plan"))
                return daemon::replay_changes(*store, school, *stored, std::move(plan).value())
                    .first;
    }
    PlanOptions options;
    options.stamp = stamp;
    return make_plan(school, options);
}

}  // namespace jk::cli
