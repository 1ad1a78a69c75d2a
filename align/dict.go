package align

import (
	"strings"
	"sync"
)

// Built-in Dutch→English word list: frequent words whose translations are
// not cognates, so that short sentences without names or numbers still
// have anchors. Keys and values are folded and without diacritics;
// "|" separates English alternatives. Words so frequent that unrelated
// sentences share them too ("de", "het", "een", "en", "van") are left out.
const builtinWords = `
met=with voor=for|before na=after naar=to|towards uit=from|out|of op=on|at onder=under|below|among boven=above
tussen=between door=by|through bij=at|by|near|with tot=until|to|up tegen=against zonder=without tijdens=during
ook=also|too maar=but of=or|whether als=if|as|when|like dan=then|than nog=still|yet|more al=already|all
nu=now hier=here daar=there altijd=always nooit=never soms=sometimes vaak=often weer=again heel=very|whole
zeer=very erg=very|bad alleen=only|alone samen=together echter=however omdat=because waarom=why hoe=how
wat=what wie=who|whom waar=where|true wanneer=when welke=which|what niet=not|no geen=no|not|none ja=yes nee=no
wij=we ons=us|our onze=our jij=you je=you|your u=you uw=your hij=he hem=him zij=she|they ze=she|they|them
haar=her|hair hun=their|them mijn=my|mine ik=i dit=this deze=these|this dat=that|which die=that|who|those|which
er=there iets=something niets=nothing iemand=someone|somebody|anyone niemand=nobody|no-one allemaal=all
iedereen=everyone|everybody elke=every|each ieder=every|each andere=other|others|different veel=many|much|lot
weinig=few|little meer=more|lake meeste=most minder=less|fewer eerste=first tweede=second derde=third
laatste=last|latest volgende=next|following vorige=previous|last nieuw=new nieuwe=new oud=old oude=old
jong=young jonge=young groot=large|big|great|major grote=large|big|great|major klein=small|little
kleine=small|little goed=good|well goede=good beter=better beste=best slecht=bad snel=fast|quick|quickly
hoog=high hoge=high laag=low lage=low lang=long lange=long kort=short korte=short mooi=beautiful|nice|pretty
mooie=beautiful|nice|pretty belangrijk=important belangrijke=important gratis=free makkelijk=easy
moeilijk=difficult|hard zwart=black wit=white witte=white rood=red rode=red blauw=blue blauwe=blue
groen=green groene=green geel=yellow gele=yellow grijs=grey|gray bruin=brown
jaar=year|years jaren=years maand=month maanden=months week=week weken=weeks dag=day dagen=days uur=hour|hours
minuten=minutes tijd=time vandaag=today morgen=tomorrow|morning gisteren=yesterday avond=evening nacht=night
ochtend=morning zomer=summer winter=winter voorjaar=spring lente=spring najaar=autumn|fall herfst=autumn|fall
mensen=people|humans mens=person|human|man man=man|husband mannen=men vrouw=woman|wife vrouwen=women
kind=child kinderen=children vader=father moeder=mother ouders=parents broer=brother zus=sister zoon=son
dochter=daughter vriend=friend vrienden=friends familie=family gezin=family
huis=house|home woning=house|home|dwelling kamer=room kamers=rooms keuken=kitchen tuin=garden badkamer=bathroom
slaapkamer=bedroom zwembad=pool|swimming strand=beach zee=sea berg=mountain bergen=mountains meer=lake
stad=city|town dorp=village straat=street weg=road|way land=country|land wereld=world gebied=area|region
auto=car fiets=bike|bicycle trein=train vliegtuig=plane|aircraft|airplane vliegveld=airport luchthaven=airport
winkel=shop|store winkelwagen=cart|basket bestellen=order bestelling=order kopen=buy|purchase verkoop=sale|sales
prijs=price|prize prijzen=prices|prizes betalen=pay betaling=payment klant=customer klanten=customers
bedrijf=company|business bedrijven=companies|businesses dienst=service diensten=services werk=work|job
werken=work|working werknemers=employees|workers geld=money kosten=costs|cost|charges
zoeken=search|find zoek=search vinden=find gevonden=found gebruik=use|usage gebruiken=use hulp=help helpen=help
vraag=question|request vragen=questions|ask antwoord=answer probleem=problem problemen=problems
oplossing=solution bericht=message|post berichten=messages|posts reactie=comment|reaction|response
reacties=comments|reactions pagina=page foto=photo|picture afbeelding=image|picture lezen=read schrijven=write
taal=language talen=languages engels=english nederlands=dutch duits=german frans=french
leven=life|live liefde=love hond=dog honden=dogs kat=cat paard=horse vis=fish boom=tree bomen=trees
bloem=flower bloemen=flowers hoofd=head|main oog=eye ogen=eyes hart=heart lichaam=body gezondheid=health
ziekte=disease|illness arts=doctor|physician ziekenhuis=hospital kerk=church geloof=faith|belief
bank=bank|sofa|couch markt=market handel=trade overheid=government regering=government wet=law
recht=right|law|justice oorlog=war vrede=peace leger=army veiligheid=safety|security kwaliteit=quality
ervaring=experience opleiding=training|education|course onderwijs=education|teaching universiteit=university
leerlingen=pupils|students les=lesson|class leraar=teacher boek=book boeken=books school=school
deel=part|share stuk=piece|part groep=group lid=member leden=members eigen=own volledig=full|complete
verschillende=different|various verschil=difference zien=see|view bekijk=view|see|watch kijken=look|watch
horen=hear zeggen=say zegt=says zei=said gaan=go gaat=goes ging=went komen=come komt=comes kwam=came
maken=make|create gemaakt=made doen=do geven=give geeft=gives nemen=take krijgen=get|receive kunnen=can|able
kan=can moet=must|should|have moeten=must|should|have wil=want|will willen=want zal=will|shall zullen=will
worden=be|become werd=was|became wordt=is|becomes waren=were ben=am bent=are zijn=are|be|his|its
hebben=have heeft=has had=had heb=have denken=think weten=know weet=know|knows begrijpen=understand
spelen=play spel=game|play eten=eat|food drinken=drink|drinks slapen=sleep lopen=walk|run rijden=drive|ride
water=water vuur=fire licht=light|lighting lucht=air|sky zon=sun maan=moon sterren=stars weer=weather|again
mogelijk=possible|possibly natuurlijk=natural|naturally|course direct=directly|immediately
binnen=within|inside|in buiten=outside|outdoor rond=around|round links=left|links rechts=right
boven=above|upstairs beneden=downstairs|below begin=beginning|start einde=end nieuws=news
verhaal=story vandaar=hence hoewel=although zoals=like|as|such toch=yet|still|nevertheless
`

// builtinDict holds the parsed word list: Dutch word → English keys, and
// the set of English words it can produce.
type builtinDict struct {
	nl map[string][]uint64
	en map[string]uint64
}

var loadBuiltinDict = sync.OnceValue(func() *builtinDict {
	d := &builtinDict{nl: map[string][]uint64{}, en: map[string]uint64{}}
	for _, f := range strings.Fields(builtinWords) {
		nl, ens, _ := strings.Cut(f, "=")
		for _, e := range strings.Split(ens, "|") {
			k := keyOf(kindDict, e)
			d.en[e] = k
			d.nl[nl] = append(d.nl[nl], k)
		}
	}
	return d
})
