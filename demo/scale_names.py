"""Words the scale data generator draws from: Indonesian names, businesses, products, reasons.

Plain data, so the generated rows read like the real ones officers see; nothing here is a
real person or business.
"""

FIRST_NAMES = (
    "Siti", "Budi", "Dewi", "Agus", "Sri", "Joko", "Rina", "Andi", "Nur", "Made", "Wayan",
    "Putu", "Ketut", "Rahmat", "Aminah", "Hendra", "Lestari", "Yusuf", "Fitri", "Bambang",
    "Ratna", "Eko", "Indah", "Teguh", "Ayu", "Dedi", "Maria", "Yohanes", "Fransiska", "Hasan",
    "Ani", "Rudi", "Wati", "Slamet", "Ika", "Imam", "Nyoman", "Ahmad", "Butet", "Cut",
)  # fmt: skip

LAST_NAMES = (
    "Rahayu", "Santoso", "Wirawan", "Pratama", "Marpaung", "Wahyuni", "Susilo", "Kurniawan",
    "Wulandari", "Gunawan", "Hidayat", "Siregar", "Nasution", "Sitompul", "Simanjuntak",
    "Saragih", "Lubis", "Harahap", "Tanjung", "Hutapea", "Manurung", "Setiawan", "Hartono",
    "Saputra", "Purnomo", "Permana", "Suryadi", "Nugroho", "Ramadhan", "Utami", "Kusuma",
    "Halim", "Wijaya", "Sinaga", "Mahmud", "Sembiring", "Tarigan", "Daeng", "Pattimura", "Rumbiak",
)  # fmt: skip

BUSINESS_FORMS = (("CV", 5), ("UD", 4), ("PT", 1), ("Koperasi", 1))

BUSINESS_WORDS = (
    "Sinar", "Jaya", "Makmur", "Sejahtera", "Mandiri", "Abadi", "Berkah", "Sentosa", "Lestari",
    "Maju", "Bersama", "Karya", "Cahaya", "Mulia", "Indah", "Prima", "Utama", "Sehat", "Bersih",
    "Tekun", "Rapi", "Nusantara", "Amanah", "Harapan", "Mitra", "Sumber", "Rezeki", "Gemilang",
    "Busana", "Konveksi", "Medika", "Husada", "Tenun", "Jahit", "Kreasi", "Insan",
)  # fmt: skip

# category: (weight, unit, price range in rupiah, capacity range per month, names)
PRODUCTS = {
    "cloth_mask": (
        34,
        "pcs",
        (6_000, 25_000),
        (2_000, 80_000),
        (
            "Masker kain {layers} lapis",
            "Masker kain katun {layers} lapis motif batik",
            "Masker kain anak {layers} lapis",
            "Masker kain tenun {layers} lapis",
        ),
    ),
    "medical_mask": (
        20,
        "box",
        (25_000, 90_000),
        (500, 20_000),
        ("Masker medis 3 ply earloop", "Masker bedah 3 ply", "Masker medis 4 ply"),
    ),
    "hand_sanitizer": (
        20,
        "bottle",
        (8_000, 60_000),
        (1_000, 40_000),
        ("Hand sanitizer gel {volume} ml", "Hand sanitizer cair {volume} ml"),
    ),
    "coverall_gown": (
        12,
        "pcs",
        (35_000, 180_000),
        (200, 10_000),
        ("Gaun pelindung spunbond", "Coverall APD sekali pakai", "Gown isolasi"),
    ),
    "face_shield": (
        9,
        "pcs",
        (5_000, 30_000),
        (1_000, 30_000),
        ("Face shield PET", "Face shield model kacamata", "Pelindung wajah anak"),
    ),
    "other": (
        5,
        "pack",
        (10_000, 50_000),
        (500, 10_000),
        ("Sarung tangan kain", "Sabun cuci tangan cair"),
    ),
}

MATERIALS = {
    "cloth_mask": ("Katun combed 30s", "Katun, motif batik", "Scuba", "Katun tenun"),
    "medical_mask": ("Spunbond, meltblown, spunbond", "Non-woven 25 gsm + meltblown"),
    "hand_sanitizer": ("Etanol, gliserin, aloe vera", "Isopropil alkohol, gliserin"),
    "coverall_gown": ("Spunbond 75 gsm", "SMS 60 gsm", "Polipropilena laminasi"),
    "face_shield": ("PET 0,3 mm", "Mika PVC 0,25 mm"),
    "other": ("Katun", "Campuran"),
}

COURIERS = ("JNE", "J&T", "SiCepat", "POS Indonesia", "TIKI", "AnterAja")

RETURN_REASONS = (
    "Foto label tidak terbaca; unggah foto label yang jelas.",
    "Deskripsi bahan belum lengkap.",
    "Kapasitas produksi tidak sesuai dengan jumlah tenaga kerja.",
    "Ukuran produk belum diisi.",
)
REJECT_REASONS = (
    "Produk tidak termasuk kategori program ini.",
    "Dokumen usaha tidak sesuai dengan identitas pemilik.",
    "Usaha sudah terdaftar dengan NIB lain.",
)
APPROVAL_REJECT_REASONS = (
    "Hasil uji laboratorium tidak memenuhi standar.",
    "Izin edar tidak sesuai dengan produk yang dikurasi.",
)
PERMIT_REFUSED_REASONS = (
    "Kemenkes menolak permohonan: hasil uji BFE di bawah 95%.",
    "Kemenkes menolak permohonan: sarana produksi belum memenuhi CPAKB.",
)
WITHDRAW_REASONS = ("", "", "Kapasitas produksi sedang penuh.", "Fokus ke pasar ekspor.")
SUSPEND_REASONS = (
    "Aduan pembeli: produk yang dikirim berbeda dengan sampel.",
    "Pemeriksaan ulang mutu atas laporan dinas.",
)
REVOKE_REASONS = ("Terbukti memalsukan hasil uji.", "Usaha berhenti beroperasi.")
VENDOR_RETURN_REASONS = ("NPWP tidak sesuai dengan nama usaha.", "Alamat usaha belum lengkap.")
VENDOR_REJECT_REASONS = ("NIB tidak ditemukan di OSS.",)
INFO_MESSAGES = (
    "Lengkapi hasil uji BFE/PFE dari laboratorium terakreditasi.",
    "Perbaiki rancangan label: cantumkan nomor bets dan tanggal kedaluwarsa.",
    "Kirim sertifikat CPAKB sarana produksi.",
)
INFO_RESPONSES = ("Dokumen sudah kami unggah ulang.", "Label sudah diperbaiki sesuai arahan.")
