// The formatie from a spreadsheet (docs/api.md, "De formatie"): CSV in both encodings and both
// separators, .xlsx files written by libxlsxwriter, every error by row and column, and the
// import through the API previewed, stored as one change, undone.
#include <xlsxwriter.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon_fixture.hpp"
#include "import/xlsx_reader.hpp"
#include "jaarkalender/formatie.hpp"

using namespace jk;
using namespace jk::daemon;
using namespace jk::daemon::testing;

namespace {

const std::string kFormatie = "/api/v1/schools/voorbeeldschool/formatie";
const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An .xlsx as Excel would hold it, made with libxlsxwriter: shared strings (the default).
std::string xlsx_of(const std::vector<std::vector<std::string>>& rows) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("jk-formatie-" + std::to_string(::getpid()) + ".xlsx");
    lxw_workbook* wb = workbook_new(path.c_str());
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Formatie");
    for (size_t r = 0; r < rows.size(); ++r)
        for (size_t c = 0; c < rows[r].size(); ++c)
            if (!rows[r][c].empty())
                worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c),
                                       rows[r][c].c_str(), nullptr);
    REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::filesystem::remove(path);
    return ss.str();
}

const std::vector<std::vector<std::string>> kRows = {
    {"Naam", "E-mailadres", "Rollen", "Werkdagen", "Groep", "Dagen in de groep"},
    {"Bram Jansen", "bram.jansen@voorbeeld.nl", "", "ma, di, wo", "Groep 4/5", "ma, di, wo"},
    {"Sanne Dekker", "s.dekker@voorbeeld.nl", "", "ma t/m vr", "Groep 3b", ""},
};

std::string csv_of(const std::vector<std::vector<std::string>>& rows, char sep) {
    std::string out;
    for (const auto& r : rows) {
        for (size_t c = 0; c < r.size(); ++c) {
            const bool quote = r[c].find(sep) != std::string::npos;
            out += (c ? std::string(1, sep) : "") + (quote ? "\"" + r[c] + "\"" : r[c]);
        }
        out += "\r\n";
    }
    return out;
}

}  // namespace

TEST_CASE("formatie: CSV as Excel writes it, both separators and encodings", "[unit][formatie]") {
    SECTION("';', UTF-8 with BOM, quotes") {
        const Sheet s =
            read_csv("\xEF\xBB\xBFNaam;Groep\r\n\"Jansen; Bram\";\"Groep \"\"4\"\"\"\r\n");
        REQUIRE(s.rows.size() == 2);
        CHECK(s.rows[0][0] == "Naam");
        CHECK(s.rows[1][0] == "Jansen; Bram");
        CHECK(s.rows[1][1] == "Groep \"4\"");
    }
    SECTION("',' and Windows-1252") {
        const Sheet s = read_csv("Naam,Groep\nJos\xE9 M\xFCller,Groep 8\n");
        REQUIRE(s.rows.size() == 2);
        CHECK(s.rows[1][0] == "José Müller");
    }
    SECTION("the rows, checked per column") {
        Formatie f = read_formatie(read_csv(csv_of(kRows, ';')));
        REQUIRE(f.errors.empty());
        REQUIRE(f.rows.size() == 2);
        CHECK(f.rows[1].works == std::vector<std::string>{"ma", "di", "wo", "do", "vr"});
        CHECK(f.rows[0].group_days == std::vector<std::string>{"ma", "di", "wo"});
        auto bad = kRows;
        bad.push_back({"Piet", "geen-adres", "intern begeleider", "ma, zo", "", ""});
        f = read_formatie(read_csv(csv_of(bad, ',')));
        REQUIRE(f.errors.size() == 2);
        CHECK(f.errors[0].row == 4);
        CHECK(f.errors[0].column == "E-mailadres");
        CHECK(f.errors[1].column == "Werkdagen");
        CHECK_THAT(f.errors[1].message, Catch::Contains("'zo' is geen werkdag"));
        CHECK(read_formatie(read_csv("Naam;Groep\nBram;Groep 4\n"))
                  .errors.at(0)
                  .message.find("'E-mailadres' ontbreekt") != std::string::npos);
    }
    SECTION("bytes that only look like UTF-8 (an overlong form) are read as Windows-1252") {
        // Found by the sheet fuzzer: such a name was kept as it was, and the rows stored as
        // JSON then did not read back (the import would have lost them).
        const Sheet s = read_csv(
            "Naam;E-mailadres;Werkdagen\nde Vries \xC1\xB3;a@b.nl;ma\n"
            "Bram \xED\xA0\x80;c@d.nl;di\n");
        REQUIRE(s.rows.size() == 3);
        CHECK(s.rows[1][0] == "de Vries \u00C1\u00B3");
        const Formatie f = read_formatie(s);
        CHECK(formatie_rows_from_json(formatie_rows_json(f.rows)).size() == f.rows.size());
    }
    SECTION("grades from a group's name") {
        CHECK(grades_from_name("Groep 4/5") == std::vector<int>{4, 5});
        CHECK(grades_from_name("groep 1-2") == std::vector<int>{1, 2});
        CHECK(grades_from_name("Kangoeroes").empty());
        CHECK(grades_from_name("Groep 12").empty());
    }
}

TEST_CASE("formatie: an .xlsx made by libxlsxwriter reads as its cells", "[unit][formatie]") {
    const auto read = imports::read_xlsx(xlsx_of(kRows));
    REQUIRE(read.error.empty());
    REQUIRE(read.sheet.rows.size() == 3);
    CHECK(read.sheet.rows[2][0] == "Sanne Dekker");
    CHECK(read.sheet.rows[2][4] == "Groep 3b");
    CHECK(read.sheet.rows[1][2].empty());
    CHECK_FALSE(imports::read_xlsx("PK\x03\x04 not really").error.empty());
    CHECK_FALSE(imports::read_xlsx("Naam;Groep").error.empty());
}

TEST_CASE("formatie: imported through the API, previewed, stored as one change, undone",
          "[io][formatie]") {
    Daemon d("formatie");
    // The template: the school's formatie as it is, which imports to no change.
    const auto tpl = d.call("anna", "GET", kFormatie);
    REQUIRE(tpl.status == 200);
    CHECK(tpl.body.rfind("\xEF\xBB\xBFNaam;E-mailadres;Rollen;Werkdagen;Groep;Dagen in de groep",
                         0) == 0);
    CHECK(tpl.body.find("Bram Jansen;bram.jansen@voorbeeld.nl;;ma, di, wo;Groep 4/5") !=
          std::string::npos);
    auto same = d.call("anna", "POST", kFormatie + "?preview=1", tpl.body, "text/csv");
    INFO(same.body);
    REQUIRE(same.status == 200);
    auto v = json::parse(same.body);
    CHECK(v.at("formatie").at("added").as_array().empty());
    CHECK(v.at("formatie").at("changed").as_array().empty());
    CHECK(v.at("formatie").at("missing").as_array().size() == 0);

    // Sanne joins with a new group; Bram works on Thursdays too.
    std::string file =
        tpl.body + "Sanne Dekker;s.dekker@voorbeeld.nl;;ma, di, wo, do, vr;Groep 3b;\r\n";
    const std::string bram = "Bram Jansen;bram.jansen@voorbeeld.nl;;ma, di, wo;";
    REQUIRE(file.find(bram) != std::string::npos);
    file.replace(file.find(bram), bram.size(),
                 "Bram Jansen;bram.jansen@voorbeeld.nl;;ma, di, wo, do;");
    const size_t versions =
        d.get("anna", "/api/v1/schools/voorbeeldschool/changes").as_array().size();
    auto preview = d.call("anna", "POST", kFormatie + "?preview=1", file, "text/csv");
    INFO(preview.body);
    REQUIRE(preview.status == 200);
    v = json::parse(preview.body);
    CHECK(v.at("formatie").at("added").at(0).as_string() == "Sanne Dekker");
    CHECK(v.at("formatie").at("changed").at(0).as_string() == "Bram Jansen: werkdagen ma di wo do");
    CHECK(v.at("formatie").at("groups").at(0).as_string() == "Groep 3b");
    CHECK(d.get("anna", "/api/v1/schools/voorbeeldschool/changes").as_array().size() == versions);

    // The same as an .xlsx: stored as one change.
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : read_csv(file).rows) rows.push_back(row);
    auto saved = d.call("anna", "POST", kFormatie, xlsx_of(rows), kXlsxType);
    INFO(saved.body);
    REQUIRE(saved.status == 201);
    const School& s = d.schools().snapshot()->schools.at("voorbeeldschool")->school->school;
    REQUIRE(s.person("sanne"));
    const Group* g3b = nullptr;
    for (const Group& g : s.groups)
        if (g.name == "Groep 3b") g3b = &g;
    REQUIRE(g3b);
    CHECK(g3b->grades == std::vector<int>{3});
    CHECK(s.person("bram")->works.to_string() == "ma di wo do");
    CHECK(json::parse(saved.body).at("summary").as_string() ==
          "Formatie ingelezen: 1 nieuw, 1 gewijzigd, 1 nieuwe groep");

    // Undo undoes all of it.
    const auto id = std::to_string(json::parse(saved.body).at("version").as_int64());
    REQUIRE(
        d.call("anna", "POST", "/api/v1/schools/voorbeeldschool/changes/" + id + "/undo").status ==
        201);
    const School& after = d.schools().snapshot()->schools.at("voorbeeldschool")->school->school;
    CHECK_FALSE(after.person("sanne"));
    CHECK(after.person("bram")->works.to_string() == "ma di wo");

    SECTION("an error in row 7 is refused at that row, then the corrected file is accepted") {
        std::string broken = tpl.body;
        size_t at = 0;
        for (int line = 1; line < 7; ++line) at = broken.find("\r\n", at) + 2;
        const size_t end = broken.find("\r\n", at);
        const std::string row7 = broken.substr(at, end - at);
        broken.replace(at, end - at, "Iemand;iemand@voorbeeld.nl;;ma, za;;");
        auto bad = d.call("anna", "POST", kFormatie + "?preview=1", broken, "text/csv");
        REQUIRE(bad.status == 400);
        const auto e = json::parse(bad.body);
        CHECK(e.at("rows").at(0).at("row").as_int64() == 7);
        CHECK(e.at("rows").at(0).at("column").as_string() == "Werkdagen");
        CHECK(e.at("error").as_string() ==
              "rij 7, kolom Werkdagen: 'za' is geen werkdag; gebruik ma, di, wo, do en vr");
        broken.replace(at, std::string("Iemand;iemand@voorbeeld.nl;;ma, za;;").size(), row7);
        CHECK(d.call("anna", "POST", kFormatie, broken, "text/csv").status == 201);
    }
    SECTION("who is not in the file leaves on the day given, or stays") {
        std::string without = tpl.body;
        const size_t at = without.find("Gijs de Boer");
        REQUIRE(at != std::string::npos);
        without.erase(at, without.find("\r\n", at) + 2 - at);
        auto stays =
            json::parse(d.call("anna", "POST", kFormatie + "?preview=1", without, "text/csv").body);
        CHECK(stays.at("formatie").at("missing").at(0).as_string() == "Gijs de Boer");
        auto leaves =
            d.call("anna", "POST", kFormatie + "?leavers_until=2027-01-29", without, "text/csv");
        INFO(leaves.body);
        REQUIRE(leaves.status == 201);
        const School& now = d.schools().snapshot()->schools.at("voorbeeldschool")->school->school;
        CHECK(format_date(*now.person("gijs")->until) == "2027-01-29");
    }
    SECTION("rights: a teacher imports nothing; only the schoolleider makes an IB'er") {
        CHECK(d.call("bram", "POST", kFormatie, tpl.body, "text/csv").status == 403);
        CHECK(d.call("bram", "GET", kFormatie).status == 403);
        std::string promote = tpl.body;
        const std::string gijs = "Gijs de Boer;gijs.deboer@voorbeeld.nl;;";
        REQUIRE(promote.find(gijs) != std::string::npos);
        promote.replace(promote.find(gijs), gijs.size(),
                        "Gijs de Boer;gijs.deboer@voorbeeld.nl;ib;");
        auto bad = d.call("anna", "POST", kFormatie + "?preview=1", promote, "text/csv");
        CHECK(bad.status == 400);
        CHECK(bad.body.find("alleen de schoolleider maakt iemand intern begeleider") !=
              std::string::npos);
        CHECK(d.call("erik", "POST", kFormatie + "?preview=1", promote, "text/csv").status == 200);
        CHECK(d.call("anna", "POST", kFormatie, "x", "image/png").status == 415);
    }
}
