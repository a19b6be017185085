#include "anonymise/name_lists.hpp"

#include <string>
#include <unordered_set>

#include <array>
#include <vector>

namespace pgscrub::anonymise {

namespace {

using List = std::string_view;

// Surnames are chosen to read naturally with given names of either gender
// where the language inflects them (Ukrainian -enko, Serbian/Croatian -ić,
// Greek genitive -ou, Polish -ak/-uk).
constexpr List english_given[] = {"Olivia", "Amelia", "Oliver", "Harry", "Grace", "Jack", "Charlotte", "George"};
constexpr List english_family[] = {"Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Hughes"};
constexpr List irish_welsh_given[] = {"Siobhán", "Seán", "Niamh", "Aoife", "Siân", "Rhodri"};
constexpr List irish_welsh_family[] = {"Ó Ceallaigh", "Mac Giolla", "Ó Dónaill", "Llewelyn", "Prys", "Ó Súilleabháin"};
constexpr List french_given[] = {"Léa", "Chloé", "Zoé", "Théo", "Jérôme", "Gaëlle", "François", "Hélène"};
constexpr List french_family[] = {"Lefèvre", "Dubois", "Girard", "Rousseau", "Bélanger", "Lemaître"};
constexpr List german_given[] = {"Jürgen", "Käthe", "Lukas", "Lena", "Jörg", "Mia"};
constexpr List german_family[] = {"Müller", "Schröder", "Weiß", "Groß", "Schäfer", "Köhler"};
constexpr List dutch_given[] = {"Sanne", "Daan", "Femke", "Joost", "Anouk"};
constexpr List dutch_family[] = {"van den Berg", "de Vries", "van Dijk", "Jansen", "Bakker"};
constexpr List spanish_given[] = {"José", "María", "Sofía", "Lucía", "Martín", "Joaquín"};
constexpr List spanish_family[] = {"García", "Martínez", "Fernández", "González", "Peña", "Núñez"};
constexpr List portuguese_given[] = {"João", "Conceição", "Inês", "Gonçalo", "Leonor"};
constexpr List portuguese_family[] = {"Gonçalves", "Araújo", "Simões", "Magalhães", "Sousa"};
constexpr List italian_given[] = {"Giulia", "Matteo", "Chiara", "Niccolò", "Francesca"};
constexpr List italian_family[] = {"Rossi", "Bianchi", "Esposito", "Ricci", "De Luca"};
constexpr List polish_given[] = {"Łukasz", "Agnieszka", "Małgorzata", "Wojciech", "Zofia"};
constexpr List polish_family[] = {"Nowak", "Wójcik", "Kowalczyk", "Woźniak", "Mazur"};
constexpr List croatian_given[] = {"Ivana", "Luka", "Željko", "Mirjana", "Petra"};
constexpr List croatian_family[] = {"Horvat", "Kovačević", "Babić", "Jurić", "Knežević"};
constexpr List nordic_given[] = {"Søren", "Åsa", "Bjørn", "Ingrid", "Aino", "Väinö"};
constexpr List nordic_family[] = {"Sørensen", "Åberg", "Lindqvist", "Nykänen", "Hämäläinen", "Eriksen"};
constexpr List turkish_given[] = {"Ayşe", "Çağla", "Ömer", "Gökhan", "İbrahim", "Şule"};
constexpr List turkish_family[] = {"Yılmaz", "Şahin", "Çelik", "Öztürk", "Doğan", "Aydın"};
constexpr List hungarian_given[] = {"Zsófia", "Gergő", "Ildikó", "Ákos", "Réka"};
constexpr List hungarian_family[] = {"Nagy", "Kovács", "Szőke", "Tóth", "Horváth"};
constexpr List vietnamese_given[] = {"Thảo", "Phương", "Dũng", "Hùng", "Ngọc Anh"};
constexpr List vietnamese_family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"};
constexpr List yoruba_igbo_given[] = {"Adébáyọ̀", "Chiamaka", "Olúwaseun", "Ngozi", "Chukwuemeka"};
constexpr List yoruba_igbo_family[] = {"Adéyẹmí", "Okonkwo", "Ọlátúnjí", "Eze", "Nwosu"};
constexpr List swahili_given[] = {"Wanjiru", "Baraka", "Amani", "Zawadi", "Juma"};
constexpr List swahili_family[] = {"Mwangi", "Otieno", "Kamau", "Njoroge", "Mutua"};
constexpr List greek_given[] = {"Γιώργος", "Μαρία", "Ελένη", "Δημήτρης", "Κατερίνα", "Νίκος"};
constexpr List greek_family[] = {"Οικονόμου", "Γεωργίου", "Βασιλείου", "Αντωνίου", "Νικολάου", "Ιωάννου"};
constexpr List ukrainian_given[] = {"Олена", "Тарас", "Оксана", "Андрій", "Ірина", "Богдан"};
constexpr List ukrainian_family[] = {"Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Мельник"};
constexpr List serbian_given[] = {"Милош", "Јелена", "Драган", "Ана", "Никола"};
constexpr List serbian_family[] = {"Петровић", "Јовановић", "Николић", "Марковић", "Ђорђевић"};
constexpr List georgian_given[] = {"ნინო", "გიორგი", "თამარ", "ლევან", "ანა"};
constexpr List georgian_family[] = {"ბერიძე", "კაპანაძე", "გელაშვილი", "მაისურაძე", "ლომიძე"};
constexpr List armenian_given[] = {"Անի", "Արամ", "Նարե", "Տիգրան", "Մարիամ"};
constexpr List armenian_family[] = {"Հովհաննիսյան", "Պետրոսյան", "Սարգսյան", "Գրիգորյան", "Հարությունյան"};
constexpr List hebrew_given[] = {"נועה", "דוד", "מיכל", "יוסף", "תמר"};
constexpr List hebrew_family[] = {"כהן", "לוי", "מזרחי", "פרץ", "ביטון"};
constexpr List arabic_given[] = {"محمد", "فاطمة", "أحمد", "ليلى", "يوسف", "مريم"};
constexpr List arabic_family[] = {"حداد", "خوري", "منصور", "العلي", "الشامي", "ناصر"};
constexpr List persian_given[] = {"پریسا", "کاوه", "نیلوفر", "آرش", "شیرین"};
constexpr List persian_family[] = {"رضایی", "محمدی", "حسینی", "کریمی", "احمدی"};
constexpr List hindi_given[] = {"अनन्या", "अर्जुन", "प्रिया", "राहुल", "दीपिका", "विक्रम"};
constexpr List hindi_family[] = {"शर्मा", "वर्मा", "गुप्ता", "पटेल", "सिंह", "जोशी"};
constexpr List bengali_given[] = {"অমিত", "সুমি", "রাহুল", "তানিয়া", "অনির্বাণ"};
constexpr List bengali_family[] = {"দাস", "বসু", "চক্রবর্তী", "সেন", "মুখার্জি"};
constexpr List tamil_given[] = {"அருண்", "மீனா", "கார்த்திக்", "பிரியா", "செல்வி"};
constexpr List tamil_family[] = {"கிருஷ்ணன்", "ராஜேந்திரன்", "சுப்பிரமணியம்", "வேலு", "முருகன்"};
constexpr List thai_given[] = {"สมชาย", "สุดา", "อรุณ", "มาลี", "ธนพล"};
constexpr List thai_family[] = {"ศรีสุข", "วงศ์ไทย", "แสงทอง", "สุขสวัสดิ์", "บุญมา"};
constexpr List amharic_given[] = {"አበበ", "ሕይወት", "ሰላም", "ዳዊት", "ብርቱካን"};
constexpr List amharic_family[] = {"ተስፋዬ", "ግርማ", "በቀለ", "ታደሰ", "ኃይሉ"};
constexpr List chinese_given[] = {"伟", "芳", "静", "秀英", "子轩", "梓涵"};
constexpr List chinese_family[] = {"王", "李", "张", "刘", "陈", "欧阳"};
constexpr List japanese_given[] = {"さくら", "陽菜", "蓮", "大翔", "結衣", "ハルト"};
constexpr List japanese_family[] = {"佐藤", "鈴木", "高橋", "田中", "渡辺", "山本"};
constexpr List korean_given[] = {"서연", "민준", "지우", "하은", "도윤"};
constexpr List korean_family[] = {"김", "이", "박", "최", "정"};

const std::array<NameCulture, 29> kCultures = {{
    {"English", english_given, english_family},
    {"Irish/Welsh", irish_welsh_given, irish_welsh_family},
    {"French", french_given, french_family},
    {"German", german_given, german_family},
    {"Dutch", dutch_given, dutch_family},
    {"Spanish", spanish_given, spanish_family},
    {"Portuguese", portuguese_given, portuguese_family},
    {"Italian", italian_given, italian_family},
    {"Polish", polish_given, polish_family},
    {"Croatian", croatian_given, croatian_family},
    {"Nordic", nordic_given, nordic_family},
    {"Turkish", turkish_given, turkish_family},
    {"Hungarian", hungarian_given, hungarian_family, true},
    {"Vietnamese", vietnamese_given, vietnamese_family, true},
    {"Yoruba/Igbo", yoruba_igbo_given, yoruba_igbo_family},
    {"Swahili", swahili_given, swahili_family},
    {"Greek", greek_given, greek_family},
    {"Ukrainian", ukrainian_given, ukrainian_family},
    {"Serbian", serbian_given, serbian_family},
    {"Georgian", georgian_given, georgian_family},
    {"Armenian", armenian_given, armenian_family},
    {"Hebrew", hebrew_given, hebrew_family},
    {"Arabic", arabic_given, arabic_family},
    {"Persian", persian_given, persian_family},
    {"Hindi", hindi_given, hindi_family},
    {"Bengali", bengali_given, bengali_family},
    {"Tamil", tamil_given, tamil_family},
    {"Thai", thai_given, thai_family},
    {"Amharic", amharic_given, amharic_family},
}};

// Han, Kana and Hangul names: family name first.
const std::array<NameCulture, 3> kEastAsian = {{
    {"Chinese", chinese_given, chinese_family, true, ""},
    {"Japanese", japanese_given, japanese_family, true, " "},
    {"Korean", korean_given, korean_family, true, ""},
}};

struct Flattened {
    std::vector<NameCulture> cultures;
    std::vector<std::string_view> given;
    std::vector<std::string_view> family;
    Flattened() {
        cultures.assign(kCultures.begin(), kCultures.end());
        cultures.insert(cultures.end(), kEastAsian.begin(), kEastAsian.end());
        for (const NameCulture& c : cultures) {
            given.insert(given.end(), c.given.begin(), c.given.end());
            family.insert(family.end(), c.family.begin(), c.family.end());
        }
    }
};

const Flattened& flattened() {
    static const Flattened lists;
    return lists;
}

} // namespace

std::span<const NameCulture> name_cultures() { return flattened().cultures; }
std::span<const std::string_view> all_given_names() { return flattened().given; }
std::span<const std::string_view> all_family_names() { return flattened().family; }

namespace {
const std::unordered_set<std::string_view>& every_name() {
    static const std::unordered_set<std::string_view> names = [] {
        std::unordered_set<std::string_view> set;
        for (std::string_view n : all_given_names()) set.insert(n);
        for (std::string_view n : all_family_names()) set.insert(n);
        return set;
    }();
    return names;
}
} // namespace

bool is_listed_name(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (text.empty() || text.size() > 64) return false;
    if (every_name().count(text)) return true;
    // "ann" for "Ann": the lists are capitalised; a lower-case copy is the same name.
    std::string capitalised(text);
    for (char& c : capitalised)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (capitalised[0] >= 'a' && capitalised[0] <= 'z') capitalised[0] = static_cast<char>(capitalised[0] - 'a' + 'A');
    return every_name().count(capitalised) > 0;
}

bool could_be_fake_name(std::string_view text) {
    const auto& names = every_name();
    if (names.count(text)) return true;
    // A given and a family name: either may hold spaces itself ("de Vries",
    // "Mary Ann"), so every space is a possible boundary.
    if (text.find(' ') != std::string_view::npos) {
        for (std::size_t space = text.find(' '); space != std::string_view::npos; space = text.find(' ', space + 1)) {
            if (names.count(text.substr(0, space)) && names.count(text.substr(space + 1))) return true;
        }
        return false;
    }
    // Family and given name written together (王伟, 김민준): try each character boundary.
    for (std::size_t cut = 1; cut < text.size(); ++cut) {
        if ((static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) continue;
        if (names.count(text.substr(0, cut)) && names.count(text.substr(cut))) return true;
    }
    return false;
}

} // namespace pgscrub::anonymise
