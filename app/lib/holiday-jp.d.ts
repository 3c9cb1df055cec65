declare module "@holiday-jp/holiday_jp" {
  const holidayJp: {
    holidays: Record<string, { date: string; name: string; name_en: string; week: string }>;
    isHoliday(date: Date | string): boolean;
  };
  export default holidayJp;
}
